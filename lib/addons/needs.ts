import { EKSClient } from '@aws-sdk/client-eks';
import type { HandlerNeeds } from '../runtime/deps.js';

/**
 * What a function built on this room uses; its bundle holds these clients and no other. An add-on update is EKS
 * only.
 */
export const addonNeeds: HandlerNeeds = { aws: { eks: EKSClient } };
