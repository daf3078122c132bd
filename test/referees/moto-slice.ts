/**
 * The operations the moto contract tests (test/sim/aws/moto-contract.test.ts) run through the product's code
 * against moto and against the simulator, as `service.Operation`: the slice moto 5.2.1 serves faithfully.
 */
export const motoOperations: readonly string[] = [
  'autoscaling.CreateOrUpdateTags',
  'autoscaling.DeleteTags',
  'autoscaling.DescribeAutoScalingGroups',
  'autoscaling.UpdateAutoScalingGroup',
  'ec2.CreateLaunchTemplateVersion',
  'ec2.DescribeImages',
  'ec2.DescribeLaunchTemplateVersions',
  'ec2.DescribeSubnets',
  'eks.DescribeCluster',
  'eks.DescribeNodegroup',
  'eks.ListClusters',
  'eks.ListNodegroups',
  's3.GetObject',
  's3.PutObject',
  'sns.Publish',
  'ssm.GetParameter',
  'sts.AssumeRole',
  'sts.GetCallerIdentity',
];
