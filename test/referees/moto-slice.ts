/**
 * The operations the moto contract tests (test/sim/aws/moto-contract.test.ts) run through the product's code
 * against moto and against the simulator, as `service.Operation`: the "moto" column of docs/aws-coverage.md.
 * moto 5.2.1 serves no EKS updates, add-ons, insights or EKS-optimized AMI parameters, so the paths that need
 * them (control plane, add-on and node group updates, new launch template versions, and the capacity marks a
 * self-managed rotation records only once its target AMI is known) are not in it.
 */
export const motoOperations: readonly string[] = [
  'autoscaling.DescribeAutoScalingGroups',
  'ec2.DescribeImages',
  'ec2.DescribeLaunchTemplateVersions',
  'ec2.DescribeSubnets',
  'eks.DescribeCluster',
  'eks.DescribeNodegroup',
  'eks.ListFargateProfiles',
  's3.GetObject',
  's3.PutObject',
  'sns.Publish',
  'ssm.GetParameter',
  'sts.AssumeRole',
  'sts.GetCallerIdentity',
];
