export { WorkflowError } from './workflow-error.ts';
export type { FailureInfo } from './workflow-error.ts';
export { defineHandler } from './handler-api.ts';
export type { HandlerDefinition, AnyHandler, HandlerContext, HandlerInfo, HandlerLogger } from './handler-api.ts';
export { HandlerRegistry, loadHandlerRegistry, DEFAULT_HANDLERS_DIR } from './handler-registry.ts';
export { invokeHandler, idempotencyKey } from './invoke-handler.ts';
