#!/usr/bin/env bash
# Runs the topic bootstrap task of one environment and waits for it: creates the Kafka topics the
# contract names (messages, messages-dlq, signals) on MSK Serverless, idempotently.
#   infra/terraform/scripts/create-topics.sh envs/prod
# Needs: terraform (state initialised in that env), aws CLI v2 with credentials, jq.
set -euo pipefail

env_dir=${1:?usage: create-topics.sh <env dir, e.g. envs/prod>}
cd "$(dirname "$0")/../${env_dir#infra/terraform/}"

task=$(terraform output -json topic_bootstrap)
cluster=$(jq -r .cluster_arn <<< "$task")
definition=$(jq -r .task_definition_arn <<< "$task")
subnets=$(jq -r '.subnet_ids | join(",")' <<< "$task")
group=$(jq -r .security_group_id <<< "$task")

arn=$(aws ecs run-task --cluster "$cluster" --task-definition "$definition" --launch-type FARGATE \
  --network-configuration "awsvpcConfiguration={subnets=[$subnets],securityGroups=[$group],assignPublicIp=DISABLED}" \
  --query 'tasks[0].taskArn' --output text)
echo "started $arn"
aws ecs wait tasks-stopped --cluster "$cluster" --tasks "$arn"

code=$(aws ecs describe-tasks --cluster "$cluster" --tasks "$arn" --query 'tasks[0].containers[0].exitCode' --output text)
if [ "$code" != "0" ]; then
  echo "topic bootstrap failed (exit $code); see its log group" >&2
  exit 1
fi
echo "topics are in place"
