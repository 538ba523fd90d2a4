// What the suites need beyond npm packages, and whether a missing one may skip a suite.

/**
 * Whether a suite whose dependency is missing must fail rather than skip: under CI (`CI` set, and not `false` or
 * `0`) every suite runs, so a missing dependency is a failure; on a contributor's machine the suite skips and says why.
 */
export function requiresEverySuite(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}
