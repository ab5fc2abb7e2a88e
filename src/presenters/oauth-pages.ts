// The consent page's HTML: the operator's sign-in, the choice of where to install an app, and errors. Every value is
// escaped; the pages load nothing (no scripts, no external resources).

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222}
fieldset{border:1px solid #ccc;border-radius:6px;margin:1rem 0}label{display:block;margin:.3rem 0}
button{padding:.5rem 1.2rem;margin-right:.5rem}code{background:#f3f3f3;padding:0 .2rem}.error{color:#b00}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function hidden(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
}

export function signInPage(returnTo: string, error?: string): string {
  const problem = error ? `<p class="error">${escapeHtml(error)}</p>` : '';
  return page(
    'Sign in to Switchboard',
    `${problem}<p>Installing an app needs the operator: sign in with the admin token.</p>
<form method="post" action="/oauth/session">${hidden({ returnTo })}
<label>Admin token <input type="password" name="token" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form>`,
  );
}

export interface ConsentView {
  appName: string;
  scopes: string[];
  locations: { id: string; name: string; companyId: string | null }[];
  /** The form's fields, sent back on approval. */
  fields: Record<string, string>;
}

export function consentPage(view: ConsentView): string {
  const companies = new Map<string, number>();
  for (const location of view.locations) {
    if (location.companyId) companies.set(location.companyId, (companies.get(location.companyId) ?? 0) + 1);
  }
  const option = (value: string, label: string, first: boolean) =>
    `<label><input type="radio" name="target" value="${escapeHtml(value)}"${first ? ' checked' : ''}> ${label}</label>`;
  const locationOptions = view.locations
    .map((l, i) =>
      option(
        `location:${l.id}`,
        `${escapeHtml(l.name)} <code>${escapeHtml(l.id)}</code>${l.companyId ? ` (company <code>${escapeHtml(l.companyId)}</code>)` : ''}`,
        i === 0,
      ),
    )
    .join('');
  const companyOptions = [...companies]
    .map(([id, count]) =>
      option(`company:${id}`, `Company <code>${escapeHtml(id)}</code>: all ${count} locations`, false),
    )
    .join('');
  const scopes = view.scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join('');
  const choices = view.locations.length
    ? `<fieldset><legend>Install on a location</legend>${locationOptions}</fieldset>${
        companyOptions ? `<fieldset><legend>Or on a whole company</legend>${companyOptions}</fieldset>` : ''
      }`
    : '<p class="error">There is no location to install it on yet.</p>';
  return page(
    `Install ${view.appName}`,
    `<p><strong>${escapeHtml(view.appName)}</strong> asks for:</p><ul>${scopes}</ul>
<form method="post" action="/oauth/chooselocation">${hidden(view.fields)}${choices}
<button type="submit" name="decision" value="allow"${view.locations.length ? '' : ' disabled'}>Allow and install</button>
<button type="submit" name="decision" value="deny">Cancel</button></form>`,
  );
}

export function errorPage(message: string): string {
  return page('Cannot install the app', `<p class="error">${escapeHtml(message)}</p>`);
}
