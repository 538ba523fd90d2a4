import type { CallContext, ProbeResult, SecretProvider } from '../provider.js';
import type { SecretRef } from '../ref.js';
import { isSecret, type Secret } from '../secret.js';
import type { FleetMember } from './fleet-member.js';

/**
 * The provider as the watch engine of a fleet member sees it: probes go through the member (answered from the
 * version table, or made and published), reads stay the instance's own calls and teach the member the versions it
 * holds. Everything else is the provider itself.
 */
export function fleetProvider(provider: SecretProvider, member: FleetMember): SecretProvider {
  const probe = (refs: readonly SecretRef[], ctx: CallContext): Promise<readonly ProbeResult[]> =>
    member.probe(refs, ctx);
  const get = async (ref: SecretRef, ctx: CallContext): Promise<Secret> => {
    const secret = await provider.get(ref, ctx);
    member.learn(ref, secret.version);
    return secret;
  };
  const getMany = async (refs: readonly SecretRef[], ctx: CallContext): Promise<ReadonlyArray<Secret | Error>> => {
    const results = await (provider.getMany as NonNullable<SecretProvider['getMany']>).call(provider, refs, ctx);
    refs.forEach((ref, index) => {
      const result = results[index];
      if (isSecret(result)) member.learn(ref, result.version);
    });
    return results;
  };
  return new Proxy(provider, {
    get(target, key) {
      if (key === 'probe') return probe;
      if (key === 'get') return get;
      if (key === 'getMany' && typeof target.getMany === 'function') return getMany;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
