export { parseTemplate, hasExpression, isWholeExpression, compileExpression, evaluateExpression, evaluateTemplate, collectExpressions } from './template.ts';
export type { ExpressionContext, TemplatePart } from './template.ts';
export { parseExpression, releaseExpressionTrees } from './expression-tree.ts';
export { referencedSteps } from './step-references.ts';
