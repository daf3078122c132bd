"""Holds recorded AWS calls to botocore's service models (the official models, as installed on this machine).

Reads JSON lines of calls (service, operation, input, output | error {code, httpStatusCode}) from the files
named on the command line and prints one JSON report on stdout:

  mismatches  every place a call leaves the model: an unknown operation or member, a wrong type, an enum value
              or range the model does not allow, a missing required input member, an error code the operation
              does not list (nor the service documents as common), an HTTP status other than the model's;
              input problems count only when the call was answered as a success (a refused request is what AWS
              does with it)
  operations  per service.operation: calls, error codes, and the output member paths the calls carried
  model       per service.operation called: every output member path the model defines (to four levels)
  waiters     per waiter over a called operation: how often each acceptor state (success, failure, retry)
              matched a recorded answer, evaluated by botocore's own waiter acceptors
  notSimulated per service.operation: calls the simulator refused as not modelled (not AWS answers)

Values are encoded as sim/aws/recorder.ts writes them: {"$timestamp": iso}, {"$blob": n}, {"$stream": name}.
"""

import json
import sys

import botocore.session
from botocore.exceptions import UnknownServiceError

SERVICES = {
    "eks": "eks",
    "autoscaling": "autoscaling",
    "ec2": "ec2",
    "ssm": "ssm",
    "sns": "sns",
    "sts": "sts",
    "s3": "s3",
    "sfn": "stepfunctions",
}

# Errors a service documents for every operation, beyond those each operation's model lists. EC2's model lists no
# errors at all; its codes are in the EC2 API reference's error code list.
COMMON_ERRORS = {
    # https://docs.aws.amazon.com/eks/latest/APIReference/CommonErrors.html
    "eks": {"ThrottlingException", "AccessDeniedException", "UnrecognizedClientException", "ValidationError",
            "ExpiredTokenException", "IncompleteSignature", "InternalFailure", "NotAuthorized",
            "ServiceUnavailable"},
    # https://docs.aws.amazon.com/autoscaling/ec2/APIReference/CommonErrors.html
    "autoscaling": {"Throttling", "ValidationError", "AccessDenied", "InternalFailure", "ServiceUnavailable",
                    "InvalidClientTokenId", "ExpiredToken"},
    # https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
    "ec2": {"RequestLimitExceeded", "UnauthorizedOperation", "InvalidParameterValue", "InvalidParameterCombination",
            "MissingParameter", "InvalidAMIID.NotFound", "InvalidAMIID.Malformed", "InvalidInstanceID.NotFound",
            "InvalidInstanceID.Malformed", "InvalidSubnetID.NotFound", "InvalidLaunchTemplateId.NotFound",
            "InvalidLaunchTemplateId.Malformed", "InvalidLaunchTemplateId.VersionNotFound",
            "InvalidLaunchTemplateName.NotFoundException", "InternalError", "Unavailable", "AuthFailure"},
    # https://docs.aws.amazon.com/systems-manager/latest/APIReference/CommonErrors.html
    "ssm": {"ThrottlingException", "ValidationException", "AccessDeniedException", "InternalFailure",
            "ServiceUnavailable", "UnrecognizedClientException"},
    # https://docs.aws.amazon.com/sns/latest/api/CommonErrors.html
    "sns": {"Throttling", "ValidationError", "AccessDenied", "InternalFailure", "ServiceUnavailable"},
    # https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html
    "sts": {"Throttling", "ValidationError", "AccessDenied", "InternalFailure", "ServiceUnavailable",
            "InvalidClientTokenId", "ExpiredToken"},
    # https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
    "s3": {"SlowDown", "AccessDenied", "InternalError", "ServiceUnavailable", "NoSuchBucket", "NoSuchKey"},
    # https://docs.aws.amazon.com/step-functions/latest/apireference/CommonErrors.html
    "sfn": {"ThrottlingException", "AccessDeniedException", "ValidationException", "InternalFailure",
            "ServiceUnavailable", "UnrecognizedClientException"},
}

MODEL_DEPTH = 4


class Checker:
    def __init__(self):
        self.session = botocore.session.get_session()
        self.models = {}
        self.waiters = {}
        self.mismatches = []
        self.operations = {}
        self.model_paths = {}
        self.waiter_counts = {}
        self.not_simulated = {}

    def model(self, service):
        if service not in self.models:
            self.models[service] = self.session.get_service_model(SERVICES[service])
            try:
                self.waiters[service] = self.session.get_waiter_model(SERVICES[service])
            except UnknownServiceError:
                self.waiters[service] = None
        return self.models[service]

    def problem(self, call, where, message):
        if len(self.mismatches) < 500:
            self.mismatches.append({
                "call": f"{call['service']}.{call['operation']}",
                "where": where,
                "problem": message,
            })

    def check(self, call):
        service = call.get("service")
        if service not in SERVICES:
            self.problem(call, "service", f"unknown service {service!r}")
            return
        model = self.model(service)
        name = call["operation"]
        if name not in model.operation_names:
            self.problem(call, "operation", f"{SERVICES[service]} has no operation {name}")
            return
        op = model.operation_model(name)
        key = f"{service}.{name}"
        stats = self.operations.setdefault(key, {"calls": 0, "errors": {}, "outputPaths": set()})
        stats["calls"] += 1
        error = call.get("error")
        if error is not None and error.get("notSimulated"):
            # The simulator refusing what it does not model: no claim about AWS to check, counted apart.
            self.not_simulated[key] = self.not_simulated.get(key, 0) + 1
            return
        input_problems = []
        if op.input_shape is not None:
            self.value(call.get("input") or {}, op.input_shape, "input", input_problems, True)
        if error is None:
            for where, message in input_problems:
                self.problem(call, where, message + " (and the simulator accepted it)")
            if op.output_shape is not None:
                output = call.get("output") or {}
                problems = []
                self.value(output, op.output_shape, "output", problems, False, stats["outputPaths"])
                for where, message in problems:
                    self.problem(call, where, message)
            self.waiter_answers(service, name, call.get("output") or {}, None)
        else:
            code = error.get("code", "")
            stats["errors"][code] = stats["errors"].get(code, 0) + 1
            shapes = {s.name: s for s in op.error_shapes}
            codes = {((s.metadata.get("error") or {}).get("code") or s.name): s for s in op.error_shapes}
            shape = shapes.get(code) or codes.get(code)
            if shape is not None:
                status = (shape.metadata.get("error") or {}).get("httpStatusCode")
                if status is not None and status != error.get("httpStatusCode"):
                    self.problem(call, "error", f"{code} is HTTP {status} in the model, answered {error.get('httpStatusCode')}")
            elif code not in COMMON_ERRORS.get(service, set()):
                listed = sorted(shapes) or ["none"]
                self.problem(call, "error", f"{code} is neither an error of {name} ({', '.join(listed)}) nor a common error of {SERVICES[service]}")
            self.waiter_answers(service, name, None, code)
        if key not in self.model_paths and op.output_shape is not None:
            paths = set()
            self.shape_paths(op.output_shape, "", paths, 0)
            self.model_paths[key] = paths

    def waiter_answers(self, service, operation, output, error_code):
        waiters = self.waiters.get(service)
        if waiters is None:
            return
        for waiter_name in waiters.waiter_names:
            waiter = waiters.get_waiter(waiter_name)
            if waiter.operation != operation:
                continue
            counts = self.waiter_counts.setdefault(f"{service}.{waiter_name}", {"success": 0, "failure": 0, "retry": 0, "none": 0})
            response = {"Error": {"Code": error_code}} if error_code else decode(output)
            matched = None
            for acceptor in waiter.acceptors:
                try:
                    if acceptor.matcher_func(response):
                        matched = acceptor.state
                        break
                except Exception:  # an acceptor whose path does not apply to this answer
                    continue
            counts[matched or "none"] += 1

    def value(self, value, shape, path, problems, is_input, seen=None):
        kind = shape.type_name
        if seen is not None and path.startswith("output"):
            rel = path[len("output."):] if path != "output" else ""
            if rel:
                seen.add(rel)
        if kind == "structure":
            if not isinstance(value, dict) or any(k.startswith("$") for k in value):
                problems.append((path, f"expected a structure ({shape.name}), got {describe(value)}"))
                return
            members = shape.members
            for k, v in value.items():
                if v is None:
                    continue
                if k not in members:
                    problems.append((f"{path}.{k}", f"{shape.name} has no member {k}"))
                    continue
                self.value(v, members[k], f"{path}.{k}", problems, is_input, seen)
            if is_input:
                for required in shape.required_members:
                    if value.get(required) is None:
                        problems.append((f"{path}.{required}", f"required member {required} of {shape.name} is missing"))
        elif kind == "list":
            if not isinstance(value, list):
                problems.append((path, f"expected a list, got {describe(value)}"))
                return
            self.bounds(len(value), shape, path, problems, "length")
            for item in value:
                self.value(item, shape.member, f"{path}[]", problems, is_input, seen)
        elif kind == "map":
            if not isinstance(value, dict):
                problems.append((path, f"expected a map, got {describe(value)}"))
                return
            for k, v in value.items():
                self.value(k, shape.key, f"{path}{{key}}", problems, is_input, None)
                self.value(v, shape.value, f"{path}{{}}", problems, is_input, seen)
        elif kind == "string":
            if not isinstance(value, str):
                problems.append((path, f"expected a string, got {describe(value)}"))
                return
            if shape.enum and value not in shape.enum:
                problems.append((path, f"{value!r} is not a value of {shape.name} ({', '.join(shape.enum)})"))
            self.bounds(len(value), shape, path, problems, "length")
        elif kind in ("integer", "long"):
            if isinstance(value, bool) or not isinstance(value, int):
                problems.append((path, f"expected an integer, got {describe(value)}"))
                return
            self.bounds(value, shape, path, problems, "value")
        elif kind in ("float", "double"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                problems.append((path, f"expected a number, got {describe(value)}"))
        elif kind == "boolean":
            if not isinstance(value, bool):
                problems.append((path, f"expected a boolean, got {describe(value)}"))
        elif kind == "timestamp":
            if not (isinstance(value, dict) and "$timestamp" in value) or value["$timestamp"] == "Invalid Date":
                problems.append((path, f"expected a timestamp (a Date), got {describe(value)}"))
        elif kind == "blob":
            if not (isinstance(value, str) or (isinstance(value, dict) and ("$blob" in value or "$stream" in value))):
                problems.append((path, f"expected bytes, got {describe(value)}"))

    @staticmethod
    def bounds(n, shape, path, problems, what):
        low = shape.metadata.get("min")
        high = shape.metadata.get("max")
        if low is not None and n < low:
            problems.append((path, f"{what} {n} is below the model's minimum {low}"))
        if high is not None and n > high:
            problems.append((path, f"{what} {n} is above the model's maximum {high}"))

    def shape_paths(self, shape, prefix, paths, depth):
        if depth >= MODEL_DEPTH:
            return
        kind = shape.type_name
        if kind == "structure":
            for name, member in shape.members.items():
                if member.serialization.get("location") in ("header", "headers", "statusCode"):
                    continue
                path = f"{prefix}.{name}" if prefix else name
                paths.add(path)
                self.shape_paths(member, path, paths, depth + 1)
        elif kind == "list":
            paths.add(f"{prefix}[]")
            self.shape_paths(shape.member, f"{prefix}[]", paths, depth)
        elif kind == "map":
            paths.add(f"{prefix}{{}}")
            self.shape_paths(shape.value, f"{prefix}{{}}", paths, depth)


def decode(value):
    if isinstance(value, dict):
        if "$timestamp" in value:
            return value["$timestamp"]
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def describe(value):
    if isinstance(value, dict):
        if "$timestamp" in value:
            return "a timestamp"
        return "an object"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {json.dumps(value)[:60]}"


def main(paths):
    checker = Checker()
    seen = set()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line or line in seen:
                    continue
                seen.add(line)
                checker.check(json.loads(line))
    report = {
        "distinctCalls": len(seen),
        "mismatches": checker.mismatches,
        "operations": {k: {**v, "outputPaths": sorted(v["outputPaths"])} for k, v in sorted(checker.operations.items())},
        "model": {k: sorted(v) for k, v in sorted(checker.model_paths.items())},
        "waiters": checker.waiter_counts,
        "notSimulated": checker.not_simulated,
    }
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
