// Walks the simulator's authorization-code flow over plain HTTP, as a browser would:
// authorize → sign-in page → posted form → redirects → the redirect URI with a code.
// Browser-driven runs (Chromium) belong to the n8n and Node-RED end-to-end tests.

export async function signInOverHttp(authorizeUrl: string, username: string, password: string, redirectUri: string): Promise<URL> {
  const cookies = new Map<string, string>();
  const remember = (response: Response) => {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, ...rest] = pair.split('=');
      cookies.set(name.trim(), rest.join('='));
    }
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  let url = authorizeUrl;
  let method = 'GET';
  let body: string | undefined;
  for (let hop = 0; hop < 10; hop++) {
    if (process.env.DEBUG_LOGIN) console.log(method, url);
    if (url.startsWith(redirectUri)) return new URL(url);
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: { cookie: cookieHeader(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body,
    });
    remember(response);
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url).toString();
      method = 'GET';
      body = undefined;
      continue;
    }
    const html = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no sign-in form at ${url} (HTTP ${response.status}): ${html.slice(0, 300)}`);
    url = new URL(action, url).toString();
    method = 'POST';
    body = new URLSearchParams({ username, password }).toString();
  }
  throw new Error('too many redirects');
}
