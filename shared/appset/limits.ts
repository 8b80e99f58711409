// How many Applications one ApplicationSet may generate. The engine is built for fleets of
// 10,000 apps; a set that asks for more than twice that is far more likely a mistake (a matrix
// of two large children, a git files pattern matching every file) than a fleet, and building it
// would fill the worker's memory before anything could be checked. Refused as bad input.
export const MAX_PARAMETER_SETS = 20_000;

export function tooMany(count: number): string {
  return `generates ${count} parameter sets, more than the ${MAX_PARAMETER_SETS} one ApplicationSet may have: split it into several sets`;
}
