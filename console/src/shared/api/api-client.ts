/**
 * The one way the app talks to the server: JSON in and out, the CSRF token of `GET /api/me` on
 * every mutating request, and failures as `ApiRequestError` carrying the server's `{code, message}`
 * (a network failure gets the code `NETWORK`), so forms can show the code beside themselves.
 */
import type { ApiError } from './types.ts';

export class ApiRequestError extends Error implements ApiError {
  readonly code: string;
  readonly status: number;
  /** The rest of the error body, for routes whose refusals carry more (the editor's `diagnostics`, `current_text`). */
  readonly details: Readonly<Record<string, unknown>>;
  constructor(status: number, code: string, message: string, details: Readonly<Record<string, unknown>> = {}) {
    super(`${code}: ${message}`);
    this.name = 'ApiRequestError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

let csrfToken: string | null = null;

/** Set once `GET /api/me` has answered (the session provider does it). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

function isApiError(value: unknown): value is ApiError {
  return typeof value === 'object' && value !== null && typeof (value as ApiError).code === 'string' && typeof (value as ApiError).message === 'string';
}

async function send<T>(method: 'GET' | 'POST', path: string, body?: BodyInit, contentType?: string, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (contentType) headers['content-type'] = contentType;
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, credentials: 'same-origin', signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiRequestError(0, 'NETWORK', 'the console server did not answer; check that it is running');
  }
  const text = await response.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!response.ok) {
    if (isApiError(parsed)) {
      const { code, message, ...details } = parsed as ApiError & Record<string, unknown>;
      throw new ApiRequestError(response.status, code, message, details);
    }
    throw new ApiRequestError(response.status, `HTTP_${response.status}`, response.statusText || 'the request failed');
  }
  return parsed as T;
}

/** `GET path` as JSON. */
export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return send<T>('GET', path, undefined, undefined, signal);
}

/** `POST path` with a JSON body. */
export function postJson<T>(path: string, body: unknown): Promise<T> {
  return send<T>('POST', path, JSON.stringify(body ?? {}), 'application/json');
}

/** `POST path` with raw bytes (uploads by reference). */
export function postBytes<T>(path: string, bytes: Blob): Promise<T> {
  return send<T>('POST', path, bytes, 'application/octet-stream');
}

/** `{code, message}` of any failure, for display. */
export function apiErrorOf(error: unknown): ApiError {
  if (error instanceof ApiRequestError) return { code: error.code, message: error.message.slice(error.code.length + 2) };
  if (isApiError(error)) return error;
  return { code: 'CLIENT_ERROR', message: error instanceof Error ? error.message : String(error) };
}

/** A path segment, encoded (run ids may hold `/` on Temporal). */
export const seg = (value: string): string => encodeURIComponent(value);
