// returnTo values come from the query string or a form field, so anyone can put
// anything there. Only same-site paths are followed: "/cart" yes, but never
// "//evil.example" or "https://evil.example" — the classic open redirect.
export function safeRedirect(target: unknown, fallback = '/'): string {
  if (typeof target !== 'string') return fallback;
  if (!target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return fallback;
  // Browsers ignore tabs and newlines in URLs: "/\t/evil.example" would become "//evil.example".
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(target)) return fallback;
  return target;
}
