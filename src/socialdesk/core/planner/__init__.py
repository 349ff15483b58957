"""The leverage planner: the model, the cascade, scenarios and asks."""
