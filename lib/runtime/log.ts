/** The logging surface the domain uses; Powertools Logger satisfies it in Lambda. */
export interface Log {
  debug(message: string, ...extra: Array<Record<string, unknown>>): void;
  info(message: string, ...extra: Array<Record<string, unknown>>): void;
  warn(message: string, ...extra: Array<Record<string, unknown>>): void;
  error(message: string, ...extra: Array<Record<string, unknown>>): void;
  appendKeys(keys: Record<string, unknown>): void;
  resetKeys(): void;
}

/** Stage durations and counts; Powertools Metrics (CloudWatch EMF) satisfies it in Lambda. */
export interface MetricsSink {
  addMetric(name: string, unit: 'Seconds' | 'Count' | 'Milliseconds', value: number): void;
  addDimension(name: string, value: string): void;
  publishStoredMetrics(): void;
}

export interface LogRecord {
  level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  message: string;
  timestamp: string;
  [key: string]: unknown;
}

/** A logger that keeps structured records in memory (local runs and tests) and can forward them. */
export class MemoryLog implements Log {
  readonly records: LogRecord[] = [];
  private keys: Record<string, unknown> = {};

  constructor(private readonly forward?: (record: LogRecord) => void) {}

  private write(level: LogRecord['level'], message: string, extra: Array<Record<string, unknown>>): void {
    const record: LogRecord = { level, message, timestamp: new Date().toISOString(), ...this.keys };
    for (const e of extra) Object.assign(record, e);
    if (this.records.length >= 10_000) this.records.shift();
    this.records.push(record);
    this.forward?.(record);
  }

  debug(message: string, ...extra: Array<Record<string, unknown>>): void {
    this.write('DEBUG', message, extra);
  }
  info(message: string, ...extra: Array<Record<string, unknown>>): void {
    this.write('INFO', message, extra);
  }
  warn(message: string, ...extra: Array<Record<string, unknown>>): void {
    this.write('WARN', message, extra);
  }
  error(message: string, ...extra: Array<Record<string, unknown>>): void {
    this.write('ERROR', message, extra);
  }
  appendKeys(keys: Record<string, unknown>): void {
    this.keys = { ...this.keys, ...keys };
  }
  resetKeys(): void {
    this.keys = {};
  }
}

export interface MetricRecord {
  name: string;
  unit: string;
  value: number;
  dimensions: Record<string, string>;
}

/** Metrics kept in memory (local runs and tests). */
export class MemoryMetrics implements MetricsSink {
  readonly published: MetricRecord[] = [];
  private pending: MetricRecord[] = [];
  private dimensions: Record<string, string> = {};

  addMetric(name: string, unit: string, value: number): void {
    this.pending.push({ name, unit, value, dimensions: { ...this.dimensions } });
  }
  addDimension(name: string, value: string): void {
    this.dimensions[name] = value;
  }
  publishStoredMetrics(): void {
    this.published.push(...this.pending);
    this.pending = [];
    this.dimensions = {};
  }
}
