import { SFNClient } from '@aws-sdk/client-sfn';
import type { HandlerNeeds } from '../runtime/deps.js';

/**
 * What a function built on this room uses; its bundle holds these clients and no other. The console reads
 * executions and their histories from Step Functions.
 */
export const consoleNeeds: HandlerNeeds = { aws: { sfn: SFNClient } };
