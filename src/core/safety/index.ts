/** The safety guard: one parse-tree check for every statement Lockscope sends, and the errors it raises. */
export { guardStatement, guardStatements, judgeStatement, type GuardedStatement } from './guard.js';
export { GuardRefusedError, TransactionEscapedError } from './errors.js';
export { statementLabel, type GuardFinding, type GuardOptions, type GuardPurpose, type GuardRuleId } from './types.js';
