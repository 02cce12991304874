export interface Tool { readonly name: string; readonly pkg: string; readonly env?: string }
export declare const TOOLS: readonly Tool[];
export declare function findTool(tool: Tool): string | null;
