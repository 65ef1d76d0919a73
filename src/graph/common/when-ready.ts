/**
 * Applies `fn` at once to a value at hand, or once a promised one arrives: a field over
 * 800 loaded models then answers without 800 promises.
 */
export const whenReady = <T, R>(value: T | Promise<T>, fn: (value: T) => R): R | Promise<R> =>
  value instanceof Promise ? value.then(fn) : fn(value);
