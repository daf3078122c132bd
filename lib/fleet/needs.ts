import { S3Client } from '@aws-sdk/client-s3';
import type { HandlerNeeds } from '../runtime/deps.js';

/**
 * What a function built on this room uses; its bundle holds these clients and no other. The fleet snapshot lives in
 * S3.
 */
export const fleetStoreNeeds: HandlerNeeds = { aws: { s3: S3Client } };
