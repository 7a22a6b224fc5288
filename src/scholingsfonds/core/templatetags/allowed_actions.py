"""`{% allowed_actions thing as actions %}`: what the logged-in person may do with `thing`."""

from typing import Any

from django import template

from scholingsfonds.core.actions import ActionMenu, action_menu, actions_of

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed_actions(context: template.Context, thing: Any) -> ActionMenu:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return action_menu(actions_of(thing, user))
