/** Backend operations a memory provider has served, by kind: every attempt counts, failed ones too. */
export interface MemoryStats {
  get: number;
  getMany: number;
  listPage: number;
  set: number;
  delete: number;
  probe: number;
}

/** A zeroed {@link MemoryStats}. */
export function emptyMemoryStats(): MemoryStats {
  return { get: 0, getMany: 0, listPage: 0, set: 0, delete: 0, probe: 0 };
}
