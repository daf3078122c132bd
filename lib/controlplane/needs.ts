import { EKSClient } from '@aws-sdk/client-eks';
import type { HandlerNeeds } from '../runtime/deps.js';

/**
 * What a function built on this room uses; its bundle holds these clients and no other. A control plane update is
 * EKS only.
 */
export const controlPlaneNeeds: HandlerNeeds = { aws: { eks: EKSClient } };
