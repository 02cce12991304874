/**
 * Where the suite's real programs are: `toolPath('nats-server')` → `/usr/sbin/nats-server`. Throws
 * (never skips) when one is missing: `npm test` installs them first (test/support/ensure-tools.mjs).
 */
import { TOOLS, findTool } from './tool-table.mjs';

export function toolPath(name: string): string {
  const tool = TOOLS.find((t) => t.name === name);
  if (!tool) throw new Error(`toolPath: ${name} is not in test/support/tool-table.mjs`);
  const path = findTool(tool);
  if (path === null) throw new Error(`${name} is not installed (Debian package ${tool.pkg}); npm test installs it — run: node test/support/ensure-tools.mjs`);
  return path;
}
