"""The floor: the smallest ask_sdk_core skill that answers a LaunchRequest.

One handler, no persistence, no API client, no interceptors: what any Python
Alexa skill on Lambda pays at the least. The benchmarks compare the recovery
skill's cold start and warm latency with this.  Importing this module imports
only ask_sdk_core (and what it imports itself), like the Lambda module does.
"""
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_request_type


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        speech = "Welcome. What would you like to know?"
        return handler_input.response_builder.speak(speech).ask(speech).response


def build():
    builder = SkillBuilder()
    builder.add_request_handler(LaunchHandler())
    return builder.lambda_handler()


lambda_handler = build()
