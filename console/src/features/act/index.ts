export { GenericReview } from './generic-review.tsx';
export { hintComponentFor, registerHintComponent } from './registry.ts';
export { hintObjectOf, type HintComponent, type HintComponentProps } from './hint-component.ts';
export { OutcomeBar } from './outcome-bar.tsx';
export { useActionSender, type ActionSender } from './use-action-sender.ts';
