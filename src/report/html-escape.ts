/**
 * Escaping for HTML text and double- or single-quoted attribute values: `& < > " '`, and control
 * characters (which HTML forbids) as U+FFFD.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => ESC[c] ?? '\uFFFD');
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
