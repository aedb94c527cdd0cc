/**
 * The nested memo tables of the policy layer (per schema, per compiled policy, per principal, …):
 * get an entry or insert a fresh one. The factories are module constants, so a hit allocates nothing.
 */
export function getOrInsert<K extends object, V>(map: WeakMap<K, V>, key: K, create: () => V): V;
export function getOrInsert<K, V>(map: Map<K, V>, key: K, create: () => V): V;
export function getOrInsert<K extends object, V>(map: Map<K, V> | WeakMap<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

export const newMap = <K, V>(): Map<K, V> => new Map<K, V>();
export const newWeakMap = <K extends object, V>(): WeakMap<K, V> => new WeakMap<K, V>();
