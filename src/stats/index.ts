/** The statistics module: what `cli/`, `report/` and `tui/` import. */
export { StatsCollector, type CollectorOptions } from './collector.js';
export { GeneratorMonitor, IDLE_GENERATOR, type GeneratorSample, type GeneratorMonitorOptions } from './generator.js';
export { STATS_DELTA_VERSION, type StatsDelta, type EndpointDelta } from './delta.js';
export { AGGREGATED_NAME, overflowName } from './names.js';
export { OTHER_FAILURES, OTHER_EXCEPTIONS } from './failures.js';
export { HIGHEST_TRACKABLE_US, histogramFootprintBytes, wasmBackend } from './histogram.js';
export * from './types.js';
