// Route templates as the sandbox shows and matches them: OpenAPI's `{param}` style, however they were written.

/** `/conversations/:conversationId/` and `/conversations/{conversationId}` both become `/conversations/{conversationId}`. */
export function routeTemplate(route: string): string {
  const template = route.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
  return template.length > 1 ? template.replace(/\/+$/, '') : template;
}
