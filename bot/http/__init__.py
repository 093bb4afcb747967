"""HTTP mode: the Starlette app that uvicorn serves."""
