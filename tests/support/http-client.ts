/**
 * A cookie-keeping HTTP client that behaves like a same-origin browser form: it sends the
 * site's Origin and echoes the CSRF cookie in the `_csrf` field, unless told not to.
 */
export class HttpClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { method: "GET", headers });
  }

  async post(
    path: string,
    fields: Record<string, string>,
    options: { csrf?: boolean | string; origin?: string | null; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    if (!this.cookies.has("cd_csrf")) await this.get("/login");
    const body = new URLSearchParams(fields);
    const token = typeof options.csrf === "string" ? options.csrf : this.cookies.get("cd_csrf");
    if (options.csrf !== false && token) body.set("_csrf", token);
    const origin = options.origin === undefined ? this.baseUrl : options.origin;
    return this.request(path, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...(origin !== null && { origin }),
        ...options.headers,
      },
      body,
    });
  }

  async login(username: string, password: string, redirectTo?: string): Promise<Response> {
    return this.post("/login", { username, password, ...(redirectTo !== undefined && { redirectTo }) });
  }

  private async request(path: string, init: RequestInit & { headers: Record<string, string> }): Promise<Response> {
    const response = await fetch(new URL(path, this.baseUrl), {
      ...init,
      redirect: "manual",
      headers: { ...init.headers, ...(this.cookies.size > 0 && { cookie: this.cookieHeader }) },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(";");
      const [name, ...rest] = pair!.split("=");
      const value = rest.join("=");
      const expired = attributes.some((a) => /max-age=0\b/i.test(a.trim()));
      if (expired || value === "") this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
    return response;
  }
}

/**
 * One signed-in client per member for a test file: `as(member)` logs in on first use and
 * reuses the client (and its cookies) after; `as.clear()` forgets them when a suite starts
 * another server. `baseUrl` is read lazily, once the server is up.
 */
export function signedInClients(baseUrl: () => string) {
  const clients = new Map<number, HttpClient>();
  const as = async (member: { id: number; username: string; password: string }): Promise<HttpClient> => {
    let client = clients.get(member.id);
    if (!client) {
      client = new HttpClient(baseUrl());
      const response = await client.login(member.username, member.password);
      if (response.status !== 302) throw new Error(`${member.username} could not sign in (HTTP ${response.status})`);
      clients.set(member.id, client);
    }
    return client;
  };
  return Object.assign(as, { clear: () => clients.clear() });
}
