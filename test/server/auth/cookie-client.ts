/**
 * A minimal browser for the auth tests: fetch with a cookie jar (by name; cookies of every port
 * of 127.0.0.1 are shared, as a browser shares them), following redirects by hand so each hop's
 * Set-Cookie is kept, and forms posted as a browser posts them.
 */
export interface Hop {
  readonly url: string;
  readonly status: number;
  readonly location: string | null;
}

export interface Page {
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  /** Every response on the way, redirects included. */
  readonly hops: readonly Hop[];
}

export class CookieClient {
  readonly jar = new Map<string, string>();

  /** The Cookie header the jar sends. */
  cookieHeader(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private keep(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute)) || value === '';
      if (expired) this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  /** One request, no redirect followed. */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.jar.size > 0) headers.set('cookie', this.cookieHeader());
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.keep(response.headers);
    return response;
  }

  /** Requests `url` and follows redirects (303/302/301 become GET), up to 20 hops. */
  async go(url: string, init: RequestInit = {}): Promise<Page> {
    const hops: Hop[] = [];
    let current = url;
    let options = init;
    for (let hop = 0; hop < 20; hop++) {
      const response = await this.request(current, options);
      const location = response.headers.get('location');
      hops.push({ url: current, status: response.status, location });
      if (response.status >= 300 && response.status < 400 && location) {
        current = new URL(location, current).href;
        options = response.status === 307 || response.status === 308 ? options : {};
        await response.arrayBuffer();
        continue;
      }
      return { url: current, status: response.status, headers: response.headers, body: await response.text(), hops };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** Posts a form (urlencoded) and follows redirects. */
  submit(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Page> {
    return this.go(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });
  }
}

/** The action of the first form on a page, resolved against the page's URL. */
export function formAction(page: Page): string {
  const match = /<form[^>]*action="([^"]+)"/.exec(page.body);
  if (!match) throw new Error(`no form on ${page.url} (${page.status}): ${page.body.slice(0, 300)}`);
  return new URL(match[1].replace(/&#(\d+);/g, (_all, code: string) => String.fromCharCode(Number(code))), page.url).href;
}
