# casewright in a container: the CLI over a workspace mounted at /workspace.
#   docker build -t casewright .      # compiles llama.cpp for llama-cpp-python (minutes)
#   docker run --rm -v "$PWD/ws:/workspace" -v "$PWD/out:/out" casewright run CC-101 -o /out
# docker-compose.yml runs it beside a Qdrant server and a llama.cpp server.

FROM python:3.11-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends build-essential cmake \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
# libgomp1: llama.cpp's OpenMP threads
RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels casewright && rm -rf /wheels \
    && useradd --create-home casewright
USER casewright
ENV CASEWRIGHT_HOME=/home/casewright/.casewright
WORKDIR /workspace
ENTRYPOINT ["casewright"]
CMD ["--help"]
