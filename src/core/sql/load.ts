/** Loads the PostgreSQL parser (libpg-query WASM) once; everything after is synchronous. */
import { loadModule } from 'libpg-query';

let loading: Promise<void> | undefined;
let loaded = false;

export function loadSqlParser(): Promise<void> {
  loading ??= loadModule().then(() => {
    loaded = true;
  });
  return loading;
}

export function assertParserLoaded(): void {
  if (!loaded) throw new Error('The SQL parser is not loaded yet: await loadSqlParser() once at start-up.');
}
