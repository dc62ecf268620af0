"""Real-browser tests: the lessons in JupyterLab, driven through headless Chromium."""
