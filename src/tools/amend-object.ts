import { types } from 'node:util';

/** The members to replace or add on an object, read from it; `undefined` when it cannot be amended. */
export type Amendment = (source: object) => Record<string, unknown> | undefined;

/**
 * A copy of `source` with the same prototype, attributes and integrity level, the members replaced or added, when
 * a copy reproduces it exactly (no proxy, class, accessor or `toJSON`); `undefined` for any other object. One pass:
 * the copy is dropped at the first member it cannot reproduce.
 */
function plainCopyWith(source: object, members: Record<string, unknown>): object | undefined {
  if (types.isProxy(source)) return undefined;
  const prototype = Object.getPrototypeOf(source);
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  const copy: object = prototype === null ? Object.create(null) : {};
  for (const key of Reflect.ownKeys(source)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(source, key);
    if (key === 'toJSON' || descriptor === undefined || !('value' in descriptor)) return undefined;
    const replaced = typeof key === 'string' && Object.hasOwn(members, key);
    put(copy, key, replaced ? members[key] : descriptor.value, descriptor);
  }
  for (const key of Object.keys(members))
    if (!Object.hasOwn(copy, key)) put(copy, key, members[key], undefined);
  if (!Object.isExtensible(source)) {
    if (Object.isFrozen(source)) Object.freeze(copy);
    else if (Object.isSealed(source)) Object.seal(copy);
    else Object.preventExtensions(copy);
  }
  return copy;
}

/** Sets a data property: by assignment when its attributes are the defaults, which keeps the copy a fast object. */
function put(
  target: object,
  key: string | symbol,
  value: unknown,
  like: PropertyDescriptor | undefined,
): void {
  const writable = like?.writable ?? true;
  const enumerable = like?.enumerable ?? true;
  const configurable = like?.configurable ?? true;
  if (writable && enumerable && configurable && key !== '__proto__') {
    (target as Record<string | symbol, unknown>)[key] = value;
  } else Object.defineProperty(target, key, { value, writable, enumerable, configurable });
}

/** Copies the view's current members and prototype onto the stand-in, which then becomes the object. */
function freezeInto(target: object, view: object, source: object): void {
  for (const key of Reflect.ownKeys(view)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(view, key);
    Reflect.defineProperty(target, key, {
      value: Reflect.get(view, key),
      writable: true,
      enumerable: descriptor?.enumerable ?? true,
      configurable: true,
    });
  }
  Reflect.setPrototypeOf(target, Reflect.getPrototypeOf(source));
}

/**
 * A live view of `source` with the members replaced or added: every other read, key listing and write
 * goes to `source` itself (getters run with `source` as `this`, so getters over `#private` fields work),
 * and a `toJSON` result is amended the same way. The proxy's target is an empty stand-in, so frozen and
 * non-configurable sources satisfy the proxy invariants; freezing the view freezes a snapshot of it.
 */
function viewWith(source: object, members: Map<string | symbol, unknown>, amend: Amendment): object {
  const shadow: object = {};
  const handler: ProxyHandler<object> = {
    get(target, key) {
      if (Object.hasOwn(target, key)) return Reflect.get(target, key);
      if (members.has(key)) return members.get(key);
      const value: unknown = Reflect.get(source, key, source);
      if (key !== 'toJSON' || typeof value !== 'function') return value;
      return function toJSON(...args: unknown[]): unknown {
        const json: unknown = Reflect.apply(value, source, args);
        return typeof json === 'object' && json !== null ? (amendObject(json, amend) ?? json) : json;
      };
    },
    has: (_, key) => members.has(key) || Reflect.has(source, key),
    ownKeys() {
      const keys = Reflect.ownKeys(source);
      for (const key of members.keys()) if (!keys.includes(key)) keys.push(key);
      return keys;
    },
    getOwnPropertyDescriptor(_, key) {
      if (members.has(key))
        return { value: members.get(key), writable: true, enumerable: true, configurable: true };
      const descriptor = Reflect.getOwnPropertyDescriptor(source, key);
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
    set(_, key, value) {
      if (!members.has(key)) return Reflect.set(source, key, value, source);
      members.set(key, value);
      return true;
    },
    deleteProperty: (_, key) => members.delete(key) || Reflect.deleteProperty(source, key),
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(source, key, descriptor),
    getPrototypeOf: () => Reflect.getPrototypeOf(source),
    setPrototypeOf: (_, prototype) => Reflect.setPrototypeOf(source, prototype),
    preventExtensions(target) {
      // From here on the stand-in is the object: every trap but `get` falls back to it.
      freezeInto(target, proxy, source);
      for (const trap of Object.keys(handler))
        if (trap !== 'get') delete handler[trap as keyof typeof handler];
      return Reflect.preventExtensions(target);
    },
  };
  const proxy = new Proxy(shadow, handler);
  return proxy;
}

/**
 * Returns `source` with the members `amend` computes replaced or added, and nothing else changed: a plain
 * data object is copied; anything else (class instance, accessors, `toJSON`, proxy) is wrapped in a view
 * that reads through to it. `undefined` when `amend` has nothing to change or `source` cannot be read.
 */
export function amendObject<T extends object>(source: T, amend: Amendment): T | undefined {
  try {
    const members = amend(source);
    if (members === undefined) return undefined;
    return (plainCopyWith(source, members) ?? viewWith(source, new Map(Object.entries(members)), amend)) as T;
  } catch {
    return undefined;
  }
}
