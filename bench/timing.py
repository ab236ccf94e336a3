"""A bench-only middleware: how long the server spent on a request (CPU and wall), in
response headers, so that a scenario can tell server time from the HTTP round trip."""

import time


class ServerTiming:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        wall, cpu = time.perf_counter(), time.process_time()
        response = self.get_response(request)
        response["X-Bench-Wall"] = f"{time.perf_counter() - wall:.6f}"
        response["X-Bench-Cpu"] = f"{time.process_time() - cpu:.6f}"
        return response
