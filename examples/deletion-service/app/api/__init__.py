"""HTTP routers. Thin: validate, call one service method, shape the answer."""
