/**
 * Simulated AWS Systems Manager Parameter Store: the public parameters EKS and Bottlerocket publish for their AMIs
 * (https://docs.aws.amazon.com/eks/latest/userguide/retrieve-ami-id.html,
 * https://docs.aws.amazon.com/eks/latest/userguide/retrieve-ami-id-bottlerocket.html), and the account's own
 * parameters written with PutParameter, SecureString included (the orchestrator's approval link key and Slack
 * secrets live there, locally as when deployed).
 */
import { createHash } from 'node:crypto';
import type {
  GetParameterRequest,
  GetParameterResult,
  GetParametersByPathRequest,
  GetParametersByPathResult,
  GetParametersRequest,
  GetParametersResult,
  Parameter,
  PutParameterRequest,
  PutParameterResult,
} from '@aws-sdk/client-ssm';
import { InvalidNextToken, ParameterAlreadyExists, ParameterNotFound } from '@aws-sdk/client-ssm';
import { type PublicParameter, publicParameters } from './catalog.js';
import { modelled, unmodelled } from './errors.js';
import { handler, paginate, type SimHandler } from './util.js';

function parameterOutput(region: string, p: PublicParameter): Parameter {
  return {
    Name: p.name,
    Type: 'String',
    Value: p.value,
    Version: 1,
    LastModifiedDate: p.lastModifiedDate,
    ARN: `arn:aws:ssm:${region}::parameter${p.name}`,
    DataType: p.dataType,
  };
}

/** A parameter the account wrote itself. */
interface OwnParameter {
  name: string;
  type: 'String' | 'StringList' | 'SecureString';
  value: string;
  version: number;
  lastModifiedDate: Date;
}

function ownParameterOutput(p: OwnParameter, withDecryption: boolean): Parameter {
  // Without WithDecryption, GetParameter answers a SecureString with its ciphertext, never the value.
  const value =
    p.type === 'SecureString' && !withDecryption
      ? createHash('sha256').update(`kms:${p.name}:${p.version}:${p.value}`).digest('base64')
      : p.value;
  return {
    Name: p.name,
    Type: p.type,
    Value: value,
    Version: p.version,
    LastModifiedDate: p.lastModifiedDate,
    DataType: 'text',
  };
}

const validation = (message: string) => unmodelled('ssm', 'ValidationException', message);

export class SimSsm {
  /** Parameters written with PutParameter, per region and name. */
  private readonly own = new Map<string, OwnParameter>();

  commands(): Record<string, SimHandler> {
    return {
      GetParameter: handler(this.getParameter),
      GetParameters: handler(this.getParameters),
      GetParametersByPath: handler(this.getParametersByPath),
      PutParameter: handler(this.putParameter),
    };
  }

  private lookup(region: string, name: string, withDecryption: boolean): Parameter | undefined {
    const own = this.own.get(`${region}|${name}`);
    if (own) return ownParameterOutput(own, withDecryption);
    const param = publicParameters(region).get(name);
    return param ? parameterOutput(region, param) : undefined;
  }

  // https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html: a hierarchical name
  // starts with "/"; names under "aws" and "ssm" are reserved; an existing name needs Overwrite.
  private putParameter = (input: PutParameterRequest, region: string): PutParameterResult => {
    const name = input.Name ?? '';
    if (!name || (name.includes('/') && !name.startsWith('/'))) {
      throw validation('Parameter name must be a fully qualified name.');
    }
    if (/^\/?(aws|ssm)/i.test(name))
      throw validation(`Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive).`);
    if (input.Value === undefined || input.Value === '')
      throw validation('1 validation error detected: Value must not be empty');
    const key = `${region}|${name}`;
    const existing = this.own.get(key);
    if (existing && !input.Overwrite) {
      throw modelled(
        ParameterAlreadyExists,
        400,
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
        {},
      );
    }
    const type = input.Type ?? existing?.type;
    if (!type) throw validation('A parameter type is required when you create a parameter.');
    const version = (existing?.version ?? 0) + 1;
    this.own.set(key, { name, type, value: input.Value, version, lastModifiedDate: new Date(Date.now()) });
    return { Version: version, Tier: 'Standard' };
  };

  // https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html
  private getParameter = (input: GetParameterRequest, region: string): GetParameterResult => {
    const name = input.Name ?? '';
    const param = this.lookup(region, name, input.WithDecryption === true);
    if (!param) {
      throw modelled(ParameterNotFound, 400, `Parameter ${name} not found.`, {});
    }
    return { Parameter: param };
  };

  // https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameters.html
  private getParameters = (input: GetParametersRequest, region: string): GetParametersResult => {
    const names = input.Names ?? [];
    const found = names.map((n) => [n, this.lookup(region, n, input.WithDecryption === true)] as const);
    return {
      Parameters: found.flatMap(([, p]) => (p ? [p] : [])),
      InvalidParameters: found.filter(([, p]) => !p).map(([n]) => n),
    };
  };

  // https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html (at most 10 a page)
  private getParametersByPath = (input: GetParametersByPathRequest, region: string): GetParametersByPathResult => {
    const path = (input.Path ?? '/').replace(/\/?$/, '/');
    const matching = [...publicParameters(region).values()].filter((p) => {
      if (!p.name.startsWith(path)) return false;
      return input.Recursive === true || !p.name.slice(path.length).includes('/');
    });
    const { page, nextToken } = paginate(matching, {
      nextToken: input.NextToken,
      maxResults: input.MaxResults,
      defaultMax: 10,
      // 1-10, as the SSM service model bounds MaxResults; SSM refuses anything else.
      limits: { member: 'maxResults', min: 1, max: 10, refuse: validation },
      invalidToken: () => modelled(InvalidNextToken, 400, 'The specified token is not valid.', {}),
    });
    return { Parameters: page.map((p) => parameterOutput(region, p)), ...(nextToken ? { NextToken: nextToken } : {}) };
  };
}
