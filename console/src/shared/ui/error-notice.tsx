/** An API rejection beside the form that caused it: its stable code and its message. */
import type { ApiError } from '../api/index.ts';

export function ErrorNotice({ error, testId, title }: { readonly error: ApiError | null; readonly testId?: string; readonly title?: string }) {
  if (!error) return null;
  return (
    <div className="notice notice-error" role="alert" data-testid={testId} data-code={error.code}>
      {title ? <strong className="notice-title">{title}</strong> : null}
      <code className="error-code">{error.code}</code> <span>{error.message}</span>
    </div>
  );
}
