// One schema module for server and client: entities, live state, API and events.
export * from './entities.ts';
export * from './tasks.ts';
export * from './live.ts';
export * from './api.ts';
export * from './dispatch.ts';
export * from './history.ts';
export * from './testing-rounds.ts';
export * from './imports.ts';
export * from './grid-imports.ts';
export * from './road-imports.ts';
export * from './words.ts';
export * from './alert-words.ts';
export * from './coverage.ts';
export * from './town-imports.ts';
export * from './terminals.ts';
export * from './outcome.ts';
export * from './responses.ts';
