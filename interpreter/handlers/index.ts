export { WorkflowError } from './workflow-error.ts';
export type { FailureInfo } from './workflow-error.ts';
export { defineHandler } from './handler-api.ts';
export type { HandlerDefinition, AnyHandler, HandlerContext, HandlerInfo, HandlerLogger } from './handler-api.ts';
export { HandlerRegistry, HandlersLoadError, loadHandlerRegistry, resolveHandlerEntry, DEFAULT_HANDLERS_DIR, HANDLER_ENTRY_NAMES } from './handler-registry.ts';
export { importProjectModule, ProjectModuleError } from './import-project-module.ts';
export { invokeHandler, idempotencyKey } from './invoke-handler.ts';
