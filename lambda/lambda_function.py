"""AWS Lambda entry point: ``lambda_function.lambda_handler``, the name the ASK CLI expects.

Storage and the rest come from the environment (see README): DynamoDB when
RECOVERY_SKILL_DYNAMODB_TABLE is set. The skill is built once per container.
"""
import logging

from skill.builder import skill_builder

logging.getLogger().setLevel(logging.INFO)

lambda_handler = skill_builder().lambda_handler()
