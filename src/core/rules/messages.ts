/** Renders a rule's message template with its data; a placeholder without data is a bug in the rule, reported as one. */

/** A rule reported a message id it does not declare, or left a placeholder without data. */
export class RuleMessageError extends Error {
  constructor(
    readonly ruleId: string,
    readonly messageId: string,
    detail: string,
  ) {
    super(`rule ${ruleId}, message ${messageId}: ${detail}`);
    this.name = 'RuleMessageError';
  }
}

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

export function renderMessage(
  ruleId: string,
  messages: Readonly<Record<string, string>>,
  messageId: string,
  data: Readonly<Record<string, string | number>>,
): string {
  const template = Object.hasOwn(messages, messageId) ? messages[messageId] : undefined;
  if (template === undefined) throw new RuleMessageError(ruleId, messageId, 'no such message');
  return template.replace(PLACEHOLDER, (_all, name: string) => {
    const value = Object.hasOwn(data, name) ? data[name] : undefined;
    if (value === undefined) throw new RuleMessageError(ruleId, messageId, `no data for {{${name}}}`);
    return String(value);
  });
}
