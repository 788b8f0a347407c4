export { GraphDiagram, type GraphDiagramProps } from './graph-diagram.tsx';
export { RunbookGraphSection, RunGraphSection } from './graph-section.tsx';
