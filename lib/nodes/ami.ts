import {
  CreateLaunchTemplateVersionCommand,
  DescribeImagesCommand,
  DescribeLaunchTemplateVersionsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { RequestRejected } from '../errors.js';

export type AmiFamily = 'al2023' | 'al2' | 'bottlerocket';

/** Reads the family and architecture of an EKS-optimized AMI from its name. */
export function amiFamilyOf(name: string): { family: AmiFamily; architecture: 'x86_64' | 'arm64' } | undefined {
  const architecture = /arm64|aarch64/.test(name) ? 'arm64' : 'x86_64';
  if (name.startsWith('bottlerocket-aws-k8s-')) return { family: 'bottlerocket', architecture };
  if (name.startsWith('amazon-eks-node-al2023-')) return { family: 'al2023', architecture };
  if (name.startsWith('amazon-eks-') && name.includes('node-')) return { family: 'al2', architecture };
  return undefined;
}

/** The SSM public parameter holding the recommended EKS AMI for a family, architecture and version. */
// https://docs.aws.amazon.com/eks/latest/userguide/retrieve-ami-id.html
// https://docs.aws.amazon.com/eks/latest/userguide/retrieve-ami-id-bottlerocket.html
export function amiParameterFor(family: AmiFamily, architecture: 'x86_64' | 'arm64', version: string): string {
  if (family === 'bottlerocket') return `/aws/service/bottlerocket/aws-k8s-${version}/${architecture}/latest/image_id`;
  if (family === 'al2') {
    return `/aws/service/eks/optimized-ami/${version}/${architecture === 'arm64' ? 'amazon-linux-2-arm64' : 'amazon-linux-2'}/recommended/image_id`;
  }
  return `/aws/service/eks/optimized-ami/${version}/amazon-linux-2023/${architecture}/standard/recommended/image_id`;
}

/**
 * Makes sure a launch template launches Kubernetes `toVersion`: when its version names an EKS-optimized AMI,
 * resolves the AMI of the same family and architecture from the SSM public parameter and creates a template
 * version with it (or reuses the current one if it already has it). A version that names no AMI is left alone.
 * Throws RequestRejected for an AMI that is not EKS-optimized or a family without an AMI for the version.
 */
export async function launchTemplateForVersion(
  deps: { ec2: EC2Client; ssm: SSMClient },
  request: { templateId: string; templateVersion: string; toVersion: string; owner: string },
): Promise<{ version: number; imageId?: string; created: boolean; hadImage: boolean }> {
  const versions = await deps.ec2.send(
    new DescribeLaunchTemplateVersionsCommand({
      LaunchTemplateId: request.templateId,
      Versions: [request.templateVersion],
    }),
  );
  const current = versions.LaunchTemplateVersions?.[0];
  if (!current?.VersionNumber) {
    throw new RequestRejected(`launch template ${request.templateId} has no version ${request.templateVersion}`);
  }
  const currentImage = current.LaunchTemplateData?.ImageId;
  if (!currentImage) return { version: current.VersionNumber, created: false, hadImage: false };
  const images = await deps.ec2.send(new DescribeImagesCommand({ ImageIds: [currentImage] }));
  const kind = amiFamilyOf(images.Images?.[0]?.Name ?? '');
  if (!kind) {
    throw new RequestRejected(
      `AMI ${currentImage} of ${request.owner} is not an EKS-optimized AMI; build the ${request.toVersion} image in your own pipeline and put it in the launch template`,
    );
  }
  const parameter = amiParameterFor(kind.family, kind.architecture, request.toVersion);
  const found = await deps.ssm.send(new GetParameterCommand({ Name: parameter })).catch((e: unknown) => {
    if ((e as Error).name === 'ParameterNotFound') {
      throw new RequestRejected(
        `no ${kind.family} AMI for Kubernetes ${request.toVersion} (${parameter} does not exist)${kind.family === 'al2' ? '; Amazon Linux 2 AMIs end at 1.32, move the nodes to AL2023 or Bottlerocket' : ''}`,
      );
    }
    throw e;
  });
  const imageId = found.Parameter?.Value ?? '';
  if (imageId === currentImage) return { version: current.VersionNumber, imageId, created: false, hadImage: true };
  // A run that stopped after creating the version (and before using it) left it as the latest: reuse it.
  const latest = (
    await deps.ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: request.templateId, Versions: ['$Latest'] }),
    )
  ).LaunchTemplateVersions?.[0];
  if (latest?.VersionNumber && latest.LaunchTemplateData?.ImageId === imageId) {
    return { version: latest.VersionNumber, imageId, created: true, hadImage: true };
  }
  const created = await deps.ec2.send(
    new CreateLaunchTemplateVersionCommand({
      LaunchTemplateId: request.templateId,
      SourceVersion: String(current.VersionNumber),
      VersionDescription: `eks-upgrade-orchestrator: Kubernetes ${request.toVersion}`,
      LaunchTemplateData: { ImageId: imageId },
    }),
  );
  return {
    version: created.LaunchTemplateVersion?.VersionNumber ?? current.VersionNumber,
    imageId,
    created: true,
    hadImage: true,
  };
}
