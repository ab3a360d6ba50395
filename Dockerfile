# casewright in a container: the CLI over a workspace mounted at /workspace.
FROM python:3.11-slim
WORKDIR /app
COPY . /app
RUN pip install --no-cache-dir . && useradd --create-home casewright
USER casewright
WORKDIR /workspace
ENTRYPOINT ["casewright"]
CMD ["--help"]
