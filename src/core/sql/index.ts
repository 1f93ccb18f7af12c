/** The SQL layer's public surface: load the parser once, then parse text into statements. */
export { loadSqlParser } from './load.js';
export { parseSql, parseStatementTree } from './parse-sql.js';
export { normalizePlaceholders } from './placeholders.js';
export { fingerprintSql } from './fingerprint.js';
export { withTable, quoteIdentifier } from './with-table.js';
