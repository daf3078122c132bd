/**
 * Simulated AWS Systems Manager Parameter Store: the public parameters EKS and Bottlerocket publish for their AMIs
 * (https://docs.aws.amazon.com/eks/latest/userguide/retrieve-ami-id.html,
 * https://docs.aws.amazon.com/eks/latest/userguide/retrieve-ami-id-bottlerocket.html).
 */
import type {
  GetParameterRequest,
  GetParameterResult,
  GetParametersByPathRequest,
  GetParametersByPathResult,
  GetParametersRequest,
  GetParametersResult,
  Parameter,
} from '@aws-sdk/client-ssm';
import { InvalidNextToken, ParameterNotFound } from '@aws-sdk/client-ssm';
import { type PublicParameter, publicParameters } from './catalog.js';
import { modelled } from './errors.js';
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

export class SimSsm {
  commands(): Record<string, SimHandler> {
    return {
      GetParameter: handler(this.getParameter),
      GetParameters: handler(this.getParameters),
      GetParametersByPath: handler(this.getParametersByPath),
    };
  }

  // https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html
  private getParameter = (input: GetParameterRequest, region: string): GetParameterResult => {
    const name = input.Name ?? '';
    const param = publicParameters(region).get(name);
    if (!param) {
      throw modelled(ParameterNotFound, 400, `Parameter ${name} not found.`, {});
    }
    return { Parameter: parameterOutput(region, param) };
  };

  // https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameters.html
  private getParameters = (input: GetParametersRequest, region: string): GetParametersResult => {
    const params = publicParameters(region);
    const names = input.Names ?? [];
    return {
      Parameters: names.flatMap((n) => {
        const p = params.get(n);
        return p ? [parameterOutput(region, p)] : [];
      }),
      InvalidParameters: names.filter((n) => !params.has(n)),
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
      maxResults: Math.min(input.MaxResults ?? 10, 10),
      defaultMax: 10,
      invalidToken: () => modelled(InvalidNextToken, 400, 'The specified token is not valid.', {}),
    });
    return { Parameters: page.map((p) => parameterOutput(region, p)), ...(nextToken ? { NextToken: nextToken } : {}) };
  };
}
