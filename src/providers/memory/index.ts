export { type MemoryProvider, type MemoryProviderOptions, memoryProvider } from './memory-provider.js';
export type { MemoryStats } from './memory-stats.js';
export { type MemoryPutOptions, MemoryStore, type MemoryVersion } from './memory-store.js';
