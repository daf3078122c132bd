/**
 * Label and field selectors as the API server parses them for list requests.
 * Labels: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 * Fields: https://kubernetes.io/docs/concepts/overview/working-with-objects/field-selectors/
 */

export interface LabelRequirement {
  key: string;
  operator: 'in' | 'notin' | 'exists' | 'doesnotexist';
  values: string[];
}

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

/** A selector the API server would reject with 400 BadRequest. */
export class SelectorError extends Error {
  override readonly name = 'SelectorError';
}

const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Splits on commas outside parentheses, so `a in (x,y),b` is two requirements. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  terms.push(current.trim());
  return terms.filter((t) => t !== '');
}

function checkKey(key: string, term: string): string {
  if (!LABEL_KEY.test(key))
    throw new SelectorError(`unable to parse requirement: invalid label key "${key}" in "${term}"`);
  return key;
}

function checkValue(value: string, term: string): string {
  if (!LABEL_VALUE.test(value) || value.length > 63) {
    throw new SelectorError(`unable to parse requirement: invalid label value "${value}" in "${term}"`);
  }
  return value;
}

/** Parses `a=b,c!=d,e,!f,g in (x,y),h notin (z)`. Throws SelectorError. */
export function parseLabelSelector(text: string): LabelRequirement[] {
  return splitTerms(text).map((term): LabelRequirement => {
    const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (set) {
      const values = (set[3] ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      return {
        key: checkKey(set[1] ?? '', term),
        operator: set[2] === 'in' ? 'in' : 'notin',
        values: values.map((v) => checkValue(v, term)),
      };
    }
    if (term.startsWith('!'))
      return { key: checkKey(term.slice(1).trim(), term), operator: 'doesnotexist', values: [] };
    const equality = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (equality) {
      return {
        key: checkKey(equality[1] ?? '', term),
        operator: equality[2] === '!=' ? 'notin' : 'in',
        values: [checkValue((equality[3] ?? '').trim(), term)],
      };
    }
    return { key: checkKey(term, term), operator: 'exists', values: [] };
  });
}

/** Whether `labels` satisfy every requirement (requirements are ANDed, as in Kubernetes). */
export function matchesLabels(requirements: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  return requirements.every((r) => {
    const value = labels?.[r.key];
    switch (r.operator) {
      case 'exists':
        return value !== undefined;
      case 'doesnotexist':
        return value === undefined;
      case 'in':
        return value !== undefined && r.values.includes(value);
      case 'notin':
        return value === undefined || !r.values.includes(value);
    }
    return false;
  });
}

/** Parses `spec.nodeName=x,status.phase!=Running`. Throws SelectorError. */
export function parseFieldSelector(text: string): FieldRequirement[] {
  return splitTerms(text).map((term) => {
    const match = /^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!match) throw new SelectorError(`invalid selector: '${text}'; can't understand '${term}'`);
    return { field: match[1] ?? '', operator: match[2] === '!=' ? '!=' : '=', value: (match[3] ?? '').trim() };
  });
}

/** Whether the object's field values (as the server indexes them, strings) satisfy every requirement. */
export function matchesFields(requirements: FieldRequirement[], fieldValue: (field: string) => string): boolean {
  return requirements.every((r) => (fieldValue(r.field) === r.value) === (r.operator === '='));
}
