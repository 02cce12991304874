/** cicada's commands, for the top-level parser, `cicada help` and the completion scripts. */
export const commands = ['run', 'demo', 'demo-target', 'report', 'compare', 'worker', 'k8s', 'init', 'import', 'completion', 'help'] as const;
