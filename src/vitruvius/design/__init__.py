"""Design: the system model → designed artifacts. `emit` writes documents from the model (an OpenAPI document
reverse-engineered from the code routes); nothing here reads sources itself."""
