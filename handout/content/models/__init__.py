from handout.content.models.records import *  # noqa: F403
