/** A small deterministic PRNG (mulberry32) for tests that inject random failures. */
export { seededRandom } from '../../src/emulators/shared/seeded-random.js';
